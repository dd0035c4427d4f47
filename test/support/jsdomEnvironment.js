// jest's jsdom environment with the globals every browser has and jsdom leaves
// out (jestjs/jest#9983): the encoders, and structuredClone.
const { TestEnvironment } = require('jest-environment-jsdom');

module.exports = class BrowserLikeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    Object.assign(this.global, { TextEncoder, TextDecoder, structuredClone });
  }
};
