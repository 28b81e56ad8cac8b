// SPDX-License-Identifier: Apache-2.0
// Messages of schemas/examples/trading.wk made from a seed, for the Node peers
// of the cross-language TCP tests: one Samples sends them, another with the same
// seed gives the JSON form each echoed message must have. Message i is of type
// i % 4, and every kind of field varies (integers over their range, enums,
// flags, structs, optional fields null or not, text, groups, strings, bytes).
import type { MessageStream } from '../../src/index.js';
import {
  ExecutionReport, Heartbeat, MarketDataIncremental, NewOrder, OrdType, Schema, Side, UpdateAction, ExecType,
} from '../../generated/trading.wk.js';
import type { AnyMessage, MessageType } from '../../generated/trading.wk.js';

const MASK64 = (1n << 64n) - 1n;

/** SplitMix64, as examples/trading_samples does. */
export class Random {
  private state: bigint;
  constructor(seed: bigint) {
    this.state = seed & MASK64;
  }
  next(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }
  below(bound: number): number {
    return Number(this.next() % BigInt(bound));
  }
  signed64(): bigint {
    return BigInt.asIntN(64, this.next());
  }
  text(max: number): string {
    let out = '';
    for (let i = this.below(max + 1); i > 0; i--) out += String.fromCharCode(0x41 + this.below(26));
    return out;
  }
  utf8(max: number): string {
    const alphabet = ['a', 'Z', ' ', '"', '\\', '\n', 'é', '€', '𝄞'];
    let out = '';
    for (let i = this.below(max + 1); i > 0; i--) out += alphabet[this.below(alphabet.length)]!;
    return out;
  }
  bytes(max: number): Uint8Array {
    const out = new Uint8Array(this.below(max + 1));
    for (let i = 0; i < out.length; i++) out[i] = this.below(256);
    return out;
  }
}

const SIDES = [Side.Buy, Side.Sell];
const ORD_TYPES = [OrdType.Market, OrdType.Limit, OrdType.Stop, OrdType.StopLimit];
const EXEC_TYPES = [ExecType.New, ExecType.PartialFill, ExecType.Fill, ExecType.Canceled, ExecType.Rejected];
const ACTIONS = [UpdateAction.New, UpdateAction.Change, UpdateAction.Delete];

export const TYPE_COUNT = 4;

interface Sample {
  send(messages: MessageStream<AnyMessage>): boolean;
  encodeInto(bytes: Uint8Array): number;
}

function sample<E extends { encodedLength(): number }>(type: MessageType<unknown, E>, fill: (encoder: E) => void): Sample {
  return {
    send: (messages) => messages.send(type, fill),
    encodeInto: (bytes) => {
      const encoder = type.encode(bytes);
      fill(encoder);
      return encoder.encodedLength();
    },
  };
}

export class Samples {
  private readonly random: Random;
  private readonly scratch = new Uint8Array(4096);
  index = 0;

  constructor(seed: bigint) {
    this.random = new Random(seed);
  }

  /** Sends the next message; false when the stream wants 'drain' first. */
  sendNext(messages: MessageStream<AnyMessage>): boolean {
    return this.next().send(messages);
  }

  /** The JSON form of the next message, encoded here (toJSON covers every field). */
  nextJSON(): string {
    return Schema.decode(this.scratch, 0, this.encodeNext(this.scratch)).toJSON();
  }

  /** Encodes the next message at the start of bytes; its length. */
  encodeNext(bytes: Uint8Array): number {
    return this.next().encodeInto(bytes);
  }

  /** The next message: its values drawn, to send or to encode. */
  private next(): Sample {
    const r = this.random;
    switch (this.index++ % TYPE_COUNT) {
      case 0:
        return sample(NewOrder, this.newOrder(r));
      case 1:
        return sample(ExecutionReport, this.executionReport(r));
      case 2:
        return sample(MarketDataIncremental, this.marketData(r));
      default: {
        const sentAt = r.next();
        return sample(Heartbeat, (e) => {
          e.sentAt = sentAt;
        });
      }
    }
  }

  // Each draws its values first, then returns the fill (which may run more than once).
  private newOrder(r: Random): (e: ReturnType<typeof NewOrder.encode>) => void {
    const orderId = r.next();
    const symbol = r.text(8);
    const side = SIDES[r.below(2)]!;
    const ordType = ORD_TYPES[r.below(4)]!;
    const tif = r.below(16);
    const mantissa = r.signed64();
    const exponent = r.below(256) - 128;
    const quantity = r.below(2 ** 32);
    const stopPrice = r.below(2) === 0 ? undefined : r.signed64() | 1n;
    const clientTag = r.below(2 ** 32);
    const legs = Array.from({ length: r.below(5) }, () => [r.below(2 ** 32), r.below(65536), SIDES[r.below(2)]!] as const);
    const account = r.utf8(16);
    const note = r.bytes(40);
    return (e) => {
      e.orderId = orderId;
      e.symbol = symbol;
      e.side = side;
      e.ordType = ordType;
      e.tif = tif;
      e.price.mantissa = mantissa;
      e.price.exponent = exponent;
      e.quantity = quantity;
      e.stopPrice = stopPrice === -(1n << 63n) ? undefined : stopPrice;
      e.clientTag = clientTag;
      const group = e.legs(legs.length);
      for (const [legId, ratio, legSide] of legs) {
        const leg = group.next();
        leg.legId = legId;
        leg.ratio = ratio;
        leg.side = legSide;
      }
      e.account(account);
      e.note(note);
    };
  }

  private executionReport(r: Random): (e: ReturnType<typeof ExecutionReport.encode>) => void {
    const orderId = r.next();
    const execId = r.next();
    const symbol = r.text(8);
    const execType = EXEC_TYPES[r.below(5)]!;
    const side = SIDES[r.below(2)]!;
    const mantissa = r.signed64();
    const exponent = r.below(256) - 128;
    const quantities = [r.below(2 ** 32), r.below(2 ** 32), r.below(2 ** 32)] as const;
    const transactTime = r.next();
    const fees = Array.from({ length: r.below(5) }, () => [r.text(4), r.signed64(), r.below(256) - 128] as const);
    const text = r.utf8(30);
    return (e) => {
      e.orderId = orderId;
      e.execId = execId;
      e.symbol = symbol;
      e.execType = execType;
      e.side = side;
      e.lastPx.mantissa = mantissa;
      e.lastPx.exponent = exponent;
      [e.lastQty, e.leavesQty, e.cumQty] = quantities;
      e.transactTime = transactTime;
      const group = e.fees(fees.length);
      for (const [code, feeMantissa, feeExponent] of fees) {
        const fee = group.next();
        fee.code = code;
        fee.amount.mantissa = feeMantissa;
        fee.amount.exponent = feeExponent;
      }
      e.text(text);
    };
  }

  private marketData(r: Random): (e: ReturnType<typeof MarketDataIncremental.encode>) => void {
    const transactTime = r.next();
    const seqNum = r.below(2 ** 32);
    const entries = Array.from({ length: r.below(5) }, () => ({
      action: ACTIONS[r.below(3)]!, side: SIDES[r.below(2)]!, symbol: r.text(8), mantissa: r.signed64(),
      exponent: r.below(256) - 128, size: r.below(2 ** 32) - 2 ** 31, level: r.below(256),
      numOrders: r.below(2) === 0 ? undefined : r.below(65535),
    }));
    return (e) => {
      e.transactTime = transactTime;
      e.seqNum = seqNum;
      const group = e.entries(entries.length);
      for (const x of entries) {
        const entry = group.next();
        entry.action = x.action;
        entry.side = x.side;
        entry.symbol = x.symbol;
        entry.price.mantissa = x.mantissa;
        entry.price.exponent = x.exponent;
        entry.size = x.size;
        entry.level = x.level;
        entry.numOrders = x.numOrders;
      }
    };
  }
}
