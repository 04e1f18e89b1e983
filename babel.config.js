// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
module.exports = {
  presets: [
    [
      'taro',
      {
        framework: 'react',
        ts: true,
        compiler: 'webpack5',
      },
    ],
  ],
  // Assumptions the app's own code meets, so that Babel emits shorter code for the older
  // targets in package.json's browserslist (https://babeljs.io/docs/assumptions):
  assumptions: {
    // `a ?? b` and `a?.b` compile to `a != null` checks: the app never meets `document.all`.
    noDocumentAll: true,
    // Object spread compiles to Object.assign: the app spreads plain data, never objects with setters.
    setSpreadProperties: true,
    // Default parameters compile without keeping `fn.length` right: nothing reads it.
    ignoreFunctionLength: true,
  },
}
