#!/usr/bin/env node
require('../dist/cli.js'); // model-lint command line: model-lint lint|rules|probe, see --help
