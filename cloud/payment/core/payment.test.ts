import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fen, type Fen } from './money'
import { decidePaid, paidFactsOf, type OrderSnapshot, type PaidFacts } from './payment'

const facts: PaidFacts = { outTradeNo: '20261128100000abcdefABCDEF12', transactionId: 't1', totalFee: 500 as Fen, mchId: '1900000109' }
const order: OrderSnapshot = { status: 'NOTPAY', totalFee: 500 as Fen, mchId: '1900000109' }

test('every refusal says why, with the facts an operator needs', () => {
  assert.deepEqual(decidePaid(null, facts), { kind: 'reject', reason: 'unknown order 20261128100000abcdefABCDEF12' })
  assert.deepEqual(decidePaid(order, { ...facts, mchId: '1900000999' }), {
    kind: 'reject',
    reason: 'merchant mismatch: paid to 1900000999, order belongs to 1900000109',
  })
  assert.deepEqual(decidePaid(order, { ...facts, totalFee: fen(1) }), { kind: 'reject', reason: 'amount mismatch: paid 1 fen, order is 500 fen' })
  assert.deepEqual(decidePaid({ ...order, status: 'SUCCESS', transactionId: 't0' }, facts), {
    kind: 'reject',
    reason: 'already paid with transaction t0, not t1',
  })
  assert.deepEqual(decidePaid({ ...order, status: 'REFUND' }, facts), { kind: 'reject', reason: 'already paid with transaction ?, not t1' })
  assert.deepEqual(decidePaid({ ...order, status: 'REFUND', transactionId: 't1' }, facts), {
    kind: 'duplicate',
    reason: 'already REFUND with this transaction',
  })
  assert.deepEqual(decidePaid({ ...order, status: 'CLOSED', latePayment: { transactionId: 't1' } }, facts), {
    kind: 'duplicate',
    reason: 'late payment already recorded',
  })
  assert.deepEqual(decidePaid({ ...order, status: 'CLOSED', latePayment: { transactionId: 't0' } }, facts), {
    kind: 'reject',
    reason: 'closed order already has late payment t0',
  })
  assert.deepEqual(decidePaid({ ...order, status: 'PAYERROR' }, facts), { kind: 'apply' })
  assert.deepEqual(decidePaid({ ...order, status: 'CLOSED' }, facts), { kind: 'late' })
})

test('a query answer counts as paid only with SUCCESS or REFUND, a transaction and an amount', () => {
  const trade = { found: true as const, tradeState: 'SUCCESS', mchId: '1900000109', totalFee: fen(500), transactionId: 't1', timeEnd: '20261128100500' }
  assert.deepEqual(paidFactsOf(facts.outTradeNo, trade), { ...facts, timeEnd: '20261128100500' })
  assert.deepEqual(paidFactsOf(facts.outTradeNo, { ...trade, tradeState: 'REFUND', timeEnd: undefined }), facts)
  for (const other of [
    { found: false as const },
    { ...trade, tradeState: 'NOTPAY' },
    { ...trade, transactionId: undefined },
    { ...trade, totalFee: undefined },
  ])
    assert.equal(paidFactsOf(facts.outTradeNo, other), undefined)
})
