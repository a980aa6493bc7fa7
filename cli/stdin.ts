/** yargs drops a lone "-" from variadic positionals, so standard input travels under this name. */
export const STDIN_ARG = '\u0000stdin';
