#!/usr/bin/env node
// `gen`, `--help` and `--version` run from a smaller bundle that holds only their code (start-up: see scripts/build.mjs).
const first = process.argv[2];
require(first === undefined || first === "gen" || first === "--help" || first === "-h" || first === "--version" || first === "-V" ? "../dist/front.cjs" : "../dist/jwtkit.cjs");
