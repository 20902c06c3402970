/** One bad variable and what is wrong with it, e.g. `{ variable: 'HTTP_PORT', problem: 'required' }`. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

/**
 * Thrown by `loadConfig` when the environment does not describe a valid configuration. Its message
 * names every bad variable on a line of its own, ready to print to an operator as it is.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      ['Invalid configuration:', ...problems.map((p) => `  ${p.variable}: ${p.problem}`)].join('\n'),
    );
  }
}
