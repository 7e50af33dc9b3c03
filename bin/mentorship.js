#!/usr/bin/env node
// Runs the compiled CLI (`npm install` builds it into dist/ through the prepare script).
import "../dist/src/cli/bin.js";
