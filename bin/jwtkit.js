#!/usr/bin/env -S node --max-semi-space-size=2
require("../dist/cli.cjs");
