// Callback faults: wrappers around the simulator's delivery ports (runnerInvoker for cloudPay
// callbacks to a function, loopbackPoster for merchant notifications to a URL). Without a
// matching fault they hand the delivery straight through.
import type { FunctionInvoker, HttpPoster } from '../pay/ports'
import type { CallbackKind, NormalizedCallbackFault } from './spec'

export interface CallbackFaultSource {
  takeCallback(kind: CallbackKind): NormalizedCallbackFault | undefined
}

/** The cloudPay refund callback event carries outRefundNo/refundStatus; the payment one does not. */
export function kindOfEvent(event: unknown): CallbackKind {
  if (typeof event === 'object' && event !== null && ('outRefundNo' in event || 'refundStatus' in event)) return 'refund'
  return 'payment'
}

/** A merchant refund notification carries the encrypted req_info; a payment notification does not. */
export function kindOfXml(xml: string): CallbackKind {
  return xml.includes('<req_info>') ? 'refund' : 'payment'
}

export class DroppedDelivery extends Error {
  constructor() {
    super('injected fault: the delivery was lost on the way')
    this.name = 'DroppedDelivery'
  }
}

async function deliverWith<T>(fault: NormalizedCallbackFault, deliver: () => Promise<T>): Promise<T> {
  switch (fault.fault) {
    case 'drop':
      throw new DroppedDelivery()
    case 'delay':
      await new Promise<void>((resolve) => setTimeout(resolve, fault.delayMs ?? 0).unref())
      return deliver()
    case 'duplicate': {
      // Both go out together; WeChat (the simulator) acts on the first one's answer.
      const first = deliver()
      const second = deliver()
      second.catch(() => undefined)
      return first
    }
  }
}

export function faultyInvoker(inner: FunctionInvoker, faults: CallbackFaultSource): FunctionInvoker {
  return {
    invokePayCallback(functionName, event) {
      const fault = faults.takeCallback(kindOfEvent(event))
      if (!fault) return inner.invokePayCallback(functionName, event)
      return deliverWith(fault, () => Promise.resolve().then(() => inner.invokePayCallback(functionName, event)))
    },
  }
}

export function faultyPoster(inner: HttpPoster, faults: CallbackFaultSource): HttpPoster {
  return {
    post(url, body, contentType) {
      const fault = faults.takeCallback(kindOfXml(body))
      if (!fault) return inner.post(url, body, contentType)
      return deliverWith(fault, () => Promise.resolve().then(() => inner.post(url, body, contentType)))
    },
  }
}
