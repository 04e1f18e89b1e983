import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { missingChromium } from './chromium'
import { buildsFor, classify, importsOf, ISOLATED, needsChromium, partition, RUNS_CLIS, tierOf } from './test-tiers'

describe('tierOf', () => {
  test('by path: browser, cloud, unit', () => {
    assert.equal(tierOf('src/e2e/shop.browser.test.ts', []), 'browser')
    assert.equal(tierOf('scripts/weapp/weapp-smoke.test.ts', []), 'browser')
    assert.equal(tierOf('cloud/local/pay/notify.test.ts', []), 'cloud')
    assert.equal(tierOf('cloud/functions/reconcile.test.ts', []), 'cloud')
    assert.equal(tierOf('cloud/payment/core/core.test.ts', []), 'unit')
    assert.equal(tierOf('src/stores/stores.test.ts', []), 'unit')
    assert.equal(tierOf('scripts/net-guard.test.ts', []), 'unit')
  })

  test('a test that imports the harness is a cloud test wherever it lives', () => {
    assert.equal(tierOf('src/services/transport.test.ts', ['../../cloud/local/testing/harness']), 'cloud')
  })

  test('a test that runs the project’s CLIs is a cloud test, built functions first', () => {
    assert.deepEqual(RUNS_CLIS, ['scripts/deploy/readme-command.test.ts', 'scripts/readme-deploy.test.ts'])
    assert.equal(tierOf('scripts/readme-deploy.test.ts', []), 'cloud')
    assert.deepEqual(buildsFor('scripts/readme-deploy.test.ts', 'cloud'), ['functions'])
  })

  test('a file outside every tier has none', () => {
    assert.equal(tierOf('config/build.test.ts', []), null)
    assert.equal(tierOf('bench/x.test.ts', []), null)
  })

  test('builds and Chromium follow the path', () => {
    assert.deepEqual(buildsFor('src/e2e/shop.browser.test.ts', 'browser'), ['functions', 'h5'])
    assert.deepEqual(buildsFor('scripts/weapp/weapp-smoke.test.ts', 'browser'), ['functions', 'weapp'])
    assert.deepEqual(buildsFor('cloud/functions/refunds.test.ts', 'cloud'), ['functions'])
    assert.deepEqual(buildsFor('src/stores/stores.test.ts', 'unit'), [])
    assert.equal(needsChromium('src/e2e/shop.browser.test.ts'), true)
    assert.equal(needsChromium('scripts/weapp/weapp-smoke.test.ts'), false)
  })
})

// Spelled apart so that this file's own import scan does not see a browser import.
const PLAYWRIGHT = ['playwright', 'core'].join('-')

test('importsOf: run-time imports, multi-line, require and dynamic import; not import type', () => {
  const source = [
    "import { a } from './a'",
    'import {',
    '  b,',
    "} from '../b'",
    "import type { C } from './c'",
    "export { d } from './d'",
    "export type { E } from './e'",
    "import './side-effect'",
    "const f = require('./f')",
    `const g = await import('${PLAYWRIGHT}')`,
  ].join('\n')
  assert.deepEqual(importsOf(source).sort(), ['../b', './a', './d', './f', './side-effect', PLAYWRIGHT])
})

describe('classify', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tiers-'))
  after(() => rmSync(root, { recursive: true, force: true }))
  const write = (rel: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
    writeFileSync(path.join(root, rel), text)
  }
  write('cloud/local/testing/harness.ts', "import { startLocalCloud } from '../localcloud'\n")
  write('cloud/local/localcloud.ts', 'export {}\n')
  write('cloud/payment/core/core.test.ts', "import { x } from './x'\n")
  write('cloud/payment/core/x.ts', 'export const x = 1\n')
  write('src/services/transport.test.ts', "import { startTestCloud } from '../../cloud/local/testing/harness'\n")
  write('node_modules/pkg/a.test.ts', '')
  write('dist/h5/b.test.ts', '')
  write('.stryker-tmp-x/sandbox-1/cloud/payment/core/core.test.ts', '')

  test('every test file gets one tier; dependencies, builds and hidden tool folders are not searched', () => {
    const { files, problems } = classify(root)
    assert.deepEqual(problems, [])
    assert.deepEqual(
      files.map((f) => [f.rel, f.tier]),
      [
        ['cloud/payment/core/core.test.ts', 'unit'],
        ['src/services/transport.test.ts', 'cloud'],
      ],
    )
  })

  test('a unit test that reaches the local cloud through a helper fails the classification', () => {
    write('src/stores/helper.ts', "import { startTestCloud } from '../../cloud/local/testing/harness'\nexport const h = 1\n")
    write('src/stores/stores.test.ts', "import { h } from './helper'\n")
    const { problems } = classify(root)
    assert.equal(problems.length, 1)
    assert.match(problems[0]!, /src\/stores\/stores\.test\.ts is a unit test but loads cloud\/local\/testing\/harness\.ts/)
    assert.match(problems[0]!, /src\/stores\/helper\.ts/)
    rmSync(path.join(root, 'src/stores'), { recursive: true })
  })

  test('a unit test that imports playwright fails the classification', () => {
    write('scripts/page.test.ts', `import { chromium } from '${PLAYWRIGHT}'\n`)
    assert.match(classify(root).problems.join('\n'), /scripts\/page\.test\.ts is a unit test but loads playwright-core/)
    rmSync(path.join(root, 'scripts/page.test.ts'))
  })

  test('a test file in no tier is reported, not dropped', () => {
    write('config/build.test.ts', '')
    assert.match(classify(root).problems.join('\n'), /config\/build\.test\.ts matches no test tier/)
    rmSync(path.join(root, 'config'), { recursive: true })
  })
})

test('missingChromium: one line naming the install command, or null', () => {
  assert.equal(
    missingChromium({}, () => true),
    null,
  )
  const line = missingChromium({ CHROMIUM_PATH: '/nonexistent' }, () => false)
  assert.ok(line)
  assert.doesNotMatch(line, /\n/)
  assert.match(line, /CHROMIUM_PATH=\/nonexistent/)
  assert.match(line, /apt-get install chromium/)
  assert.match(missingChromium({}, () => false) ?? '', /\/usr\/bin\/chromium/)
})

describe('the unit processes', () => {
  const f = (name: string): { file: string } => ({ file: name })

  test('partition: about equal work per process, every file once, files in path order', () => {
    const weights: Record<string, number> = { a: 50, b: 10, c: 40, d: 30, e: 20, g: 1 }
    const groups = partition(Object.keys(weights).map(f), 2, (file) => weights[file]!)
    assert.deepEqual(
      groups.map((g) => g.map((x) => x.file)),
      [
        ['a', 'b', 'e'],
        ['c', 'd', 'g'],
      ],
    )
    assert.deepEqual(
      partition([f('a')], 3, () => 1),
      [[f('a')]],
      'no empty process',
    )
  })

  test('every file kept out of the shared processes is a unit test file that exists, with a reason', () => {
    const root = path.resolve(__dirname, '..')
    const units = new Set(
      classify(root)
        .files.filter((file) => file.tier === 'unit')
        .map((file) => file.rel),
    )
    for (const [rel, why] of Object.entries(ISOLATED)) {
      assert.ok(units.has(rel), `${rel} is a unit test file`)
      assert.ok(why.length > 10, `${rel} says why`)
    }
  })
})
