/** Who does something, as use cases and the audit trail record it (SYSTEM for jobs and CLIs). */
export type Actor = { id: string | null; role: string };
