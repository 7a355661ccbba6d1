// Bundled as dist/vendor/zxcvbn-core.cjs: the zxcvbn-ts matchers and keyboard graphs, without the
// big word lists (those are in zxcvbn-dictionaries.cjs, loaded only when a secret needs them).
export { ZxcvbnFactory } from '@zxcvbn-ts/core';
export { default as adjacencyGraphs } from '@zxcvbn-ts/language-common/dist/adjacencyGraphs.json.mjs';
// Scores one match (zxcvbn-ts keeps it internal): check scores every match, not only the chosen sequence.
export { default as estimateGuesses } from '@zxcvbn-ts/core/dist/scoring/estimate.mjs';
