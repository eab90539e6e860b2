/** The objection scopes that stop profiling: OBJECTED (compliance.md §2 rule 2) and PROFILING_OBJECTED (rule 7). */
export const PROFILING_STOPPING_SCOPES = ['direct_marketing', 'profiling'] as const;
