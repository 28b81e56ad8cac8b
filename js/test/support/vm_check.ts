// SPDX-License-Identifier: Apache-2.0
// Run with --experimental-vm-modules by browser_safe.test.ts: loads the
// generated trading.wk.js and wirekit_codec.js as ES modules into a fresh vm
// context, which has the JavaScript built-ins and, as browsers do,
// TextEncoder/TextDecoder, but no process, Buffer, require or node: modules,
// then encodes and decodes a message there (with the flyweights, and read()
// and write() of plain objects). Prints the JSON form, or fails.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

// node:vm's module API is experimental and not in @types/node's stable surface.
interface VmModule {
  link(linker: (specifier: string) => VmModule): Promise<void>;
  evaluate(): Promise<unknown>;
}
type SourceTextModuleClass = new (source: string, options: { context: vm.Context; identifier: string }) => VmModule;
const SourceTextModule = (vm as unknown as { SourceTextModule: SourceTextModuleClass }).SourceTextModule;

const context = vm.createContext({ TextEncoder, TextDecoder });
const load = (name: string): VmModule =>
  new SourceTextModule(readFileSync(new URL(`../../generated/${name}`, import.meta.url), 'utf8'), { context, identifier: name });
const modules = new Map<string, VmModule>([
  ['./wirekit_codec.js', load('wirekit_codec.js')],
  ['./trading.wk.js', load('trading.wk.js')],
]);
const main = new SourceTextModule(`
  import { NewOrder, Schema, Side } from "./trading.wk.js";
  if (typeof process !== "undefined" || typeof Buffer !== "undefined" || typeof require !== "undefined") {
    throw new Error("the context has Node globals");
  }
  const bytes = new Uint8Array(256);
  const order = NewOrder.encode(bytes);
  order.orderId = 7n;
  order.symbol = "ACME";
  order.side = Side.Buy;
  order.price.mantissa = 12345n;
  order.price.exponent = -2;
  order.quantity = 100;
  const legs = order.legs(1);
  legs.next().legId = 3;
  order.account("désk");
  const length = order.encodedLength();
  // The plain-object form there too: read, written again, the same bytes.
  const copy = new Uint8Array(256);
  const copied = NewOrder.write(copy, NewOrder.read(bytes, 0, length));
  if (copied !== length || copy.some((byte, i) => byte !== bytes[i])) throw new Error("write(read()) wrote other bytes");
  globalThis.result = Schema.decode(new DataView(copy.buffer, 0, copied)).toJSON();
`, { context, identifier: 'main' });
const linker = (specifier: string): VmModule => {
  const found = modules.get(specifier);
  if (found === undefined) throw new Error(`the generated code imports ${specifier}`);
  return found;
};
for (const module of modules.values()) await module.link(linker);
await main.link(linker);
await main.evaluate();
process.stdout.write(String((context as { result?: unknown }).result) + '\n');
