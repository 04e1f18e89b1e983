// A machine crash between two steps of a flow: the local cloud (database, functions and pay
// simulator together) is SIGKILLed right after a write is durable, then restarted on its data.
// Nothing acknowledged is lost, and the flow completes.
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { BUILT_FUNCTIONS, ROOT, spawnLocalCloud, tempDir, type ChildCloud } from '../local/testing/harness'
import { recordRow } from '../local/testing/report'
import { DELIVERY_ADDRESS } from '../local/testing/shop'

type Json = Record<string, unknown>

async function post(url: string, body: unknown, openid?: string): Promise<{ status: number; body: Json } | { failed: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as Json }
  } catch (error) {
    return { failed: String((error as { cause?: unknown }).cause ?? error) }
  }
}

async function order(cloud: ChildCloud, outTradeNo: string, openid: string): Promise<Json> {
  const r = await post(`${cloud.url}/api/functions/queryOrder`, { outTradeNo }, openid)
  if ('failed' in r) throw new Error(r.failed)
  return r.body
}

test('crashes between the steps of checkout and of a payment callback lose nothing', async () => {
  const data = tempDir('crash')
  const env = {
    CLOUD_DATA_DIR: data.dir,
    FUNCTIONS_DIR: BUILT_FUNCTIONS,
    PAY_MODE: 'cloudpay',
    WXPAY_SUB_MCH_ID: '1900000109',
    SIM_TIME_SCALE: '0.001',
    H5_DIR: path.join(ROOT, 'dist', 'h5'),
  }
  let cloud = await spawnLocalCloud(env)
  try {
    const shopper = 'crash-shopper-1'
    const event = { items: [{ goodsId: 'goods-mug', quantity: 1 }], requestId: 'req-crash-0001', address: DELIVERY_ADDRESS }

    // 1. Checkout: the machine dies right after the order is written, before the prepay.
    await post(`${cloud.url}/sim/faults`, { db: [{ fault: 'crash', action: 'database.insertDocument', collection: 'orders', afterWrites: 1 }] })
    const interrupted = await post(`${cloud.url}/api/functions/createOrder`, event, shopper)
    assert.ok('failed' in interrupted || interrupted.status !== 200 || (interrupted.body as { ok?: boolean }).ok !== true, JSON.stringify(interrupted))
    assert.equal(await cloud.exited, null) // killed by a signal
    cloud = await spawnLocalCloud(env)
    const listed = await post(`${cloud.url}/api/functions/queryOrder`, {}, shopper)
    assert.ok(!('failed' in listed))
    const items = (listed.body as { data: { items: Array<{ outTradeNo: string; status: string; payment: unknown }> } }).data.items
    assert.equal(items.length, 1, 'the acknowledged order write survived')
    assert.equal(items[0]!.status, 'NOTPAY')
    assert.equal(items[0]!.payment, null, 'the crash came before the prepay')

    // The shopper's app retries with the same request id: the same order, now payable.
    const retried = await post(`${cloud.url}/api/functions/createOrder`, event, shopper)
    assert.ok(!('failed' in retried))
    const created = (retried.body as { data: { outTradeNo: string } }).data
    assert.equal(created.outTradeNo, items[0]!.outTradeNo)

    // 2. Payment: the machine dies right after payNotify's state change, before its event is written.
    await post(`${cloud.url}/sim/faults`, { db: [{ fault: 'crash', action: 'database.modifyDocument', collection: 'orders', afterWrites: 1 }] })
    await post(`${cloud.url}/sim/pay`, { outTradeNo: created.outTradeNo, result: 'SUCCESS' })
    await cloud.exited
    cloud = await spawnLocalCloud(env)
    // The simulator resumes its unacknowledged callback; the order is already paid, so it is a duplicate.
    let paid: Json = {}
    for (let i = 0; i < 100; i++) {
      paid = await order(cloud, created.outTradeNo, shopper)
      if ((paid['data'] as { status?: string } | undefined)?.status === 'SUCCESS') break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    assert.equal((paid['data'] as { status: string }).status, 'SUCCESS')
    let acknowledged = false
    for (let i = 0; i < 100 && !acknowledged; i++) {
      const res = await fetch(`${cloud.url}/sim/notifications?outTradeNo=${created.outTradeNo}`)
      const [notification] = ((await res.json()) as { notifications: Array<{ status: string }> }).notifications
      acknowledged = notification?.status === 'ACKNOWLEDGED'
      if (!acknowledged) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    assert.ok(acknowledged, 'the resumed callback was delivered and acknowledged after the restart')
    recordRow({
      area: 'crash',
      what: 'SIGKILL after the order write, before the prepay; restart; retry with the requestId',
      mode: 'cloudpay',
      times: 1,
      ordersLost: 0,
      doubleTransitions: 0,
      wrongStates: 0,
      other: {},
    })
    recordRow({
      area: 'crash',
      what: "SIGKILL after payNotify's state change, before its event; restart; the callback resumes",
      mode: 'cloudpay',
      times: 1,
      ordersLost: 0,
      doubleTransitions: 0,
      wrongStates: 0,
      other: {},
    })
  } finally {
    cloud.child.kill('SIGTERM')
    await cloud.exited
    data.remove()
  }
})
