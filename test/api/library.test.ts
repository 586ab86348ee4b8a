import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

describe('library API (package entry)', () => {
  it('exports the pipeline and its errors', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'DEFAULT_NAMESPACE',
        'DEFAULT_SETTINGS',
        'FINDING_CODES',
        'MESH',
        'ManifestInputError',
        'PrometheusError',
        'PrometheusUsageError',
        'QueryTemplateError',
        'evaluate',
        'loadManifests',
        'parseManifests',
        'resolveSplits',
      ].sort(),
    );
  });

  it('loadManifests → resolveSplits on the example', async () => {
    const { splits } = api.resolveSplits(await api.loadManifests({ filenames: ['examples/helloworld'] }));
    expect(splits.map((split) => split.virtualService.name)).toEqual(['helloworld-vs', 'helloworld-vs-w-dr', 'helloworld-vs-w-gateway']);
  });

  it('evaluate throws a classified PrometheusError when Prometheus is unreachable', async () => {
    await expect(
      api.evaluate({ manifests: { filenames: ['examples/helloworld'] }, prometheus: { url: 'http://127.0.0.1:1', timeoutMs: 2000, retries: 0 } }),
    ).rejects.toMatchObject({ name: 'PrometheusError', kind: 'unreachable' });
  });
});
