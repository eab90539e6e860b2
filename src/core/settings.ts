/** Product choices of compliance.md §2 that are settings, with their defaults. */
export interface DecisionSettings {
  /** Soft opt-in lapses this many months after the last relevant order ended (rule 3). */
  softOptInMonths: number;
  /** A phone Robinson registration without an explicit end lasts this many years (rule 5). */
  phoneRobinsonYears: number;
}

export const DEFAULT_DECISION_SETTINGS: DecisionSettings = {
  softOptInMonths: 12,
  phoneRobinsonYears: 3,
};
