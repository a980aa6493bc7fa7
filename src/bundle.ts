// `import 'brsec/bundle'`: what a bundle of brsec (esbuild for a Lambda function, say) needs beside the library's
// code. brsec reads its benchmarks and data from its package folder and requires its TOML and YAML parsers when an
// input first needs them; a bundle has no package folder, and a bundler cannot follow a require made at run time. This
// module embeds the data files and imports the parsers, so the bundle carries both. Terraform HCL is the exception: its
// parser loads WebAssembly from node_modules (keep `web-tree-sitter` and `@tree-sitter-grammars/tree-sitter-hcl`
// external and shipped to read .tf files).
import * as smolToml from 'smol-toml';
import * as tomlEslintParser from 'toml-eslint-parser';
import * as yaml from 'yaml';
import { EMBEDDED_FILES } from './generated/embedded-data.js';
import { provideModules } from './on-first-use.js';
import { useEmbeddedData } from './paths.js';

useEmbeddedData(EMBEDDED_FILES);
provideModules({ 'smol-toml': smolToml, 'toml-eslint-parser': tomlEslintParser, yaml });
