import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PaySimError } from './errors'
import { ALICE_TOKEN, SUB_MCH_ID, flush, harness, MemoryStore, unifiedOrderData, type Harness } from './fakes'
import { createLedger } from './ledger'
import type { SimDoc } from './ports'
import { TRADES } from './records'

/** A store whose writes wait, while `gated`, until the test releases them: a slow disk. */
class GatedStore extends MemoryStore {
  gated = false
  readonly waiting: Array<{ collection: string; id: string; release(): void }> = []

  override async put(collection: string, doc: SimDoc): Promise<void> {
    if (this.gated) await new Promise<void>((release) => this.waiting.push({ collection, id: doc._id, release }))
    return super.put(collection, doc)
  }

  open(): void {
    this.gated = false
    for (const write of this.waiting.splice(0)) write.release()
  }
}

const A = 'T20240321000001'
const B = 'T20240321000002'
const api = (h: Harness, name: string, data: Record<string, unknown>) =>
  h.sim.cloudPayApi(name, { sub_mch_id: SUB_MCH_ID, nonce_str: 'n', ...data }, ALICE_TOKEN)
const order = (h: Harness, outTradeNo: string) => api(h, 'unifiedOrder', unifiedOrderData({ out_trade_no: outTradeNo, total_fee: 1000 }))
const refund = (h: Harness, by: Record<string, unknown>, outRefundNo: string, refundFee: number) =>
  api(h, 'refund', { ...by, out_refund_no: outRefundNo, total_fee: 1000, refund_fee: refundFee, function_name: 'refundNotify', env_id: 'sim-env-1' })

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  assert.fail('expected a rejection')
}

describe('ledger.exclusive', () => {
  it('runs changes with a key in common one after another, and the others at once', async () => {
    const ledger = createLedger(new MemoryStore())
    const events: string[] = []
    const gates = new Map<string, () => void>()
    const change = (name: string, keys: string[]) =>
      ledger.exclusive(keys, async () => {
        events.push(`${name} starts`)
        await new Promise<void>((resolve) => gates.set(name, resolve))
        events.push(`${name} ends`)
      })
    const first = change('first', ['a'])
    const both = change('both', ['a', 'b'])
    const other = change('other', ['c'])
    const second = change('second', ['b'])
    await flush()
    // `other` shares no key; `both` waits for `first`, and `second` for `both` (it came later).
    assert.deepEqual(events, ['first starts', 'other starts'])
    gates.get('first')!()
    await flush()
    assert.deepEqual(events.slice(2), ['first ends', 'both starts'])
    gates.get('both')!()
    await flush()
    assert.deepEqual(events.slice(4), ['both ends', 'second starts'])
    gates.get('second')!()
    gates.get('other')!()
    await Promise.all([first, both, other, second])
  })

  it('releases the keys of a change that fails', async () => {
    const ledger = createLedger(new MemoryStore())
    const failed = ledger.exclusive(['a'], async () => {
      throw new Error('boom')
    })
    await assert.rejects(failed, /boom/)
    assert.equal(await ledger.exclusive(['a'], async () => 'next'), 'next')
  })
})

describe('the pay simulator under concurrent requests', () => {
  it('writes two trades at once instead of queueing one behind the other', async () => {
    const store = new GatedStore()
    const h = harness({}, store)
    await order(h, A)
    await order(h, B)
    store.gated = true
    const payments = [h.sim.simPay({ outTradeNo: A, result: 'SUCCESS' }), h.sim.simPay({ outTradeNo: B, result: 'SUCCESS' })]
    await flush()
    assert.deepEqual(
      store.waiting.map((w) => `${w.collection}/${w.id}`),
      [`${TRADES}/cloudpay:${SUB_MCH_ID}:${A}`, `${TRADES}/cloudpay:${SUB_MCH_ID}:${B}`],
    )
    store.open()
    assert.deepEqual(
      (await Promise.all(payments)).map((p) => p.tradeState),
      ['SUCCESS', 'SUCCESS'],
    )
  })

  it('settles one trade once: the second tap waits, then finds it paid; nothing shows before it is written', async () => {
    const store = new GatedStore()
    const h = harness({}, store)
    await order(h, A)
    store.gated = true
    const first = h.sim.simPay({ outTradeNo: A, result: 'SUCCESS' })
    const second = rejection(h.sim.simPay({ outTradeNo: A, result: 'SUCCESS' }))
    await flush()
    assert.equal(store.waiting.length, 1, 'the second payment must not write while the first is writing')
    assert.equal((await api(h, 'queryOrder', { out_trade_no: A })).trade_state, 'NOTPAY', 'a payment not yet on disk is not reported')
    store.open()
    assert.equal((await first).tradeState, 'SUCCESS')
    const refused = await second
    assert.ok(refused instanceof PaySimError)
    assert.equal(refused.code, 'TRADE_ALREADY_PAID')
    assert.equal((await h.sim.listNotifications({ outTradeNo: A })).length, 1)
  })

  it('never refunds more than was paid when refunds by out_trade_no and by transaction_id race', async () => {
    const h = harness()
    await order(h, A)
    const paid = await h.sim.simPay({ outTradeNo: A, result: 'SUCCESS' })
    const answers = await Promise.all([refund(h, { out_trade_no: A }, 'R1', 600), refund(h, { transaction_id: paid.transactionId }, 'R2', 600)])
    assert.deepEqual(answers.map((a) => a.result_code).sort(), ['FAIL', 'SUCCESS'])
    assert.equal(answers.find((a) => a.result_code === 'FAIL')?.err_code_des, '申请退款金额超过订单可退金额')
    assert.equal((await api(h, 'queryRefund', { out_trade_no: A })).refund_count, 1)
  })

  it('gives one out_refund_no to one trade when two trades ask for it at once', async () => {
    const h = harness()
    for (const no of [A, B]) {
      await order(h, no)
      await h.sim.simPay({ outTradeNo: no, result: 'SUCCESS' })
    }
    const answers = await Promise.all([refund(h, { out_trade_no: A }, 'R1', 100), refund(h, { out_trade_no: B }, 'R1', 100)])
    assert.deepEqual(answers.map((a) => a.result_code).sort(), ['FAIL', 'SUCCESS'])
    assert.equal(answers.find((a) => a.result_code === 'FAIL')?.err_code, 'INVALID_REQUEST')
  })

  it('finds trades by out_trade_no, transaction_id and refund_id through its indexes, also after a restart', async () => {
    const h = harness()
    await order(h, A)
    const paid = await h.sim.simPay({ outTradeNo: A, result: 'SUCCESS' })
    const accepted = await refund(h, { out_trade_no: A }, 'R1', 100)
    const again = harness({}, h.store, h.clock)
    const byTransaction = await api(again, 'queryOrder', { transaction_id: paid.transactionId })
    assert.equal(byTransaction.out_trade_no, A)
    assert.equal(byTransaction.trade_state, 'REFUND')
    const byRefundId = await api(again, 'queryRefund', { refund_id: accepted.refund_id })
    assert.equal(byRefundId.out_refund_no_0, 'R1')
    assert.equal((await api(again, 'queryOrder', { transaction_id: '4200000000000000000000000000' })).err_code, 'ORDERNOTEXIST')
  })
})
