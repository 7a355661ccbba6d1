declare module '@zxcvbn-ts/language-common/dist/adjacencyGraphs.json.mjs' {
  const graphs: Record<string, Record<string, (string | null)[]>>;
  export default graphs;
}
declare module '@zxcvbn-ts/core/dist/scoring/estimate.mjs' {
  const estimateGuesses: (options: unknown, match: object, password: string) => { guessesLog10: number };
  export default estimateGuesses;
}
