import { SORT_ORDERS, type ScreenRow, type SortOrder } from './model.js';

export type View = 'table' | 'details' | 'help' | 'filter';

/** What the keys change: pure data, so a burst of keys typed faster than renders all counts. */
export interface UiState {
  view: View;
  sort: SortOrder;
  filter: string;
  selectedKey: string | null;
}

export type KeyEffect = 'quit' | 'refresh' | 'toggle-pause' | null;

/** The subset of Ink's key flags we use. */
export interface KeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export const INITIAL_UI: UiState = { view: 'table', sort: 'drift', filter: '', selectedKey: null };

function move(state: UiState, rows: readonly ScreenRow[], delta: number): UiState {
  const from = Math.max(0, rows.findIndex((row) => row.key === state.selectedKey));
  const to = Math.max(0, Math.min(rows.length - 1, from + delta));
  return { ...state, selectedKey: rows[to]?.key ?? null };
}

/** One key press → the next UI state and what the App must do (quit, refresh, pause). */
export function onKey(state: UiState, input: string, key: KeyFlags, rows: readonly ScreenRow[], page: number): { state: UiState; effect: KeyEffect } {
  const same = (next: UiState, effect: KeyEffect = null) => ({ state: next, effect });
  if (state.view === 'filter') {
    if (key.return) return same({ ...state, view: 'table' });
    if (key.escape) return same({ ...state, view: 'table', filter: '' });
    if (key.backspace || key.delete) return same({ ...state, filter: state.filter.slice(0, -1) });
    if (input && !key.ctrl && !key.meta) return same({ ...state, filter: state.filter + input });
    return same(state);
  }
  if (input === 'q') return same(state, 'quit');
  if (state.view !== 'table') {
    const closes = key.escape || key.return || (state.view === 'help' && input === '?');
    return same(closes ? { ...state, view: 'table' } : state);
  }
  if (key.escape) return same(state, 'quit');
  if (key.upArrow || input === 'k') return same(move(state, rows, -1));
  if (key.downArrow || input === 'j') return same(move(state, rows, 1));
  if (key.pageUp) return same(move(state, rows, -page));
  if (key.pageDown) return same(move(state, rows, page));
  if (key.return) return same(rows.length > 0 ? { ...move(state, rows, 0), view: 'details' } : state);
  if (input === '/') return same({ ...state, view: 'filter' });
  if (input === 's') return same({ ...state, sort: SORT_ORDERS[(SORT_ORDERS.indexOf(state.sort) + 1) % SORT_ORDERS.length] ?? 'drift' });
  if (input === 'p') return same(state, 'toggle-pause');
  if (input === 'r') return same(state, 'refresh');
  if (input === '?') return same({ ...state, view: 'help' });
  return same(state);
}

/**
 * Keys typed faster than the terminal is read arrive as one chunk ("\rq"): split it into one
 * press per character, so Enter followed by q is Enter, then q.
 */
export function splitChunk(input: string, key: KeyFlags): [string, KeyFlags][] {
  if ([...input].length <= 1) return [[input, key]];
  return [...input].map((character): [string, KeyFlags] =>
    character === '\r' || character === '\n' ? ['', { return: true }] : character === '\u007f' ? ['', { backspace: true }] : [character, {}],
  );
}
