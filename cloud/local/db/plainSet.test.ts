import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { update as mingoUpdate } from 'mingo'
import { modifyDoc, NOT_PLAIN, plainSet } from './engine'
import type { Doc } from './ejson'

// The engine applies plain $set updates itself; mingo (as the engine called it before) is the
// reference for every case, plain or not.
const base = (): Doc => ({
  _id: 'order-1',
  status: 'NOTPAY',
  n: 1,
  nul: null,
  at: new Date(0),
  payment: { a: 1, inner: { b: 'x' } },
  items: [{ q: 1 }],
})

function reference(modifier: Record<string, unknown>): { doc: Doc | undefined } | { error: true } {
  const doc = structuredClone(base())
  try {
    const changed = mingoUpdate(doc, modifier as Parameters<typeof mingoUpdate>[1])
    return { doc: changed.length > 0 ? doc : undefined }
  } catch {
    return { error: true }
  }
}

function ours(modifier: Record<string, unknown>): { doc: Doc | undefined } | { error: true } {
  try {
    return { doc: modifyDoc(base(), modifier) }
  } catch {
    return { error: true }
  }
}

const PLAIN: Array<Record<string, unknown>> = [
  { status: 'SUCCESS' },
  { status: 'NOTPAY' },
  { n: 1.0 },
  { n: '1' },
  { nul: null },
  { missing: null },
  { at: new Date(0) },
  { at: new Date(5) },
  { 'payment.a': 1 },
  { 'payment.a': 2, 'payment.c': [1, { d: 2 }] },
  { 'payment.inner.b': 'x' },
  { 'payment.inner.b': 'y', status: 'SUCCESS', updatedAt: new Date(7) },
  { 'fresh.deep.x': 1 },
  { payment: { a: 1, inner: { b: 'x' } } },
  { payment: { a: 2 } },
  { items: [{ q: 1 }] },
  { items: [{ q: 2 }] },
  { 'payment.timeStamp': '1795921997', 'payment.nonceStr': 'abc', prepayId: 'wx1' },
]

const NOT_HANDLED: Array<Record<string, unknown>> = [
  { 'items.0.q': 2 },
  { 'nul.x': 1 },
  { 'status.x': 1 },
  { 'at.x': 1 },
  { payment: 1, 'payment.a': 2 },
  { 'payment.$x': 1 },
  { 'payment..a': 1 },
  { 'payment.constructor': 1 },
]

describe('plain $set', () => {
  for (const fields of PLAIN) {
    it(`applies ${JSON.stringify(fields)} itself, as mingo does`, () => {
      assert.notEqual(plainSet(base(), { $set: fields }), NOT_PLAIN)
      assert.deepEqual(ours({ $set: fields }), reference({ $set: fields }))
    })
  }

  for (const fields of NOT_HANDLED) {
    it(`leaves ${JSON.stringify(fields)} to mingo`, () => {
      assert.equal(plainSet(base(), { $set: fields }), NOT_PLAIN)
      assert.deepEqual(ours({ $set: fields }), reference({ $set: fields }))
    })
  }

  it('leaves other operators, and $set beside them, to mingo', () => {
    for (const modifier of [{ $inc: { n: 1 } }, { $set: { status: 'X' }, $inc: { n: 1 } }, { $unset: { nul: '' } }, { $push: { items: { q: 3 } } }]) {
      assert.equal(plainSet(base(), modifier), NOT_PLAIN)
      assert.deepEqual(ours(modifier), reference(modifier))
    }
  })

  it('never changes the stored document it was given', () => {
    const current = base()
    modifyDoc(current, { $set: { 'payment.inner.b': 'changed', 'fresh.x': 1 } })
    assert.deepEqual(current, base())
  })
})
