// PGlite's CommonJS build loads Node's own modules with import(), which Jest's module sandbox refuses
// without --experimental-vm-modules; as require() they behave the same (decision 0009). The bundle
// declares a `require` of its own in places, hence the alias taken at the top.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

const self = readFileSync(__filename);

module.exports = {
  process(source) {
    const code = source.replace(
      /\bimport\("((?:node:)?[a-z/_]+)"\)/g,
      'Promise.resolve(__nodeRequire("$1"))',
    );
    return {
      code: code.startsWith('"use strict";')
        ? `"use strict";var __nodeRequire=require;${code.slice('"use strict";'.length)}`
        : `var __nodeRequire=require;${code}`,
    };
  },
  getCacheKey(source, path) {
    return createHash('sha256').update(self).update(path).update(source).digest('hex');
  },
};
