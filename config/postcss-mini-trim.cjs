// A PostCSS plugin for the mini program build only (config/index.ts `mini.postcss`): drops what
// only a browser with a keyboard or a mouse uses — `:focus-visible` rules (the H5 focus ring) and
// `cursor` — so the package shoppers download does not carry them (docs/benchmarks.md, size).
// The H5 build keeps both: keyboard users and axe need them there.
module.exports = () => ({
  postcssPlugin: 'mini-trim',
  Rule(rule) {
    const selectors = rule.selectors.filter((selector) => !selector.includes(':focus-visible'))
    if (selectors.length === 0) rule.remove()
    else if (selectors.length < rule.selectors.length) rule.selectors = selectors
  },
  Declaration: {
    cursor(declaration) {
      declaration.remove()
    },
  },
})
module.exports.postcss = true
