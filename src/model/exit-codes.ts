/** Exit codes (SPEC §7): the same whatever the output format. Based on sysexits.h. */
export const EXIT = {
  ok: 0,
  drift: 1,
  inconclusive: 2,
  usage: 64,
  input: 65,
  unavailable: 69,
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
