#!/usr/bin/env node
require("../dist/jwtkit.cjs");
