// `node out/test/tools/costTable.js`: prints the README's table of every call the extension can make, its
// list price and what triggers it, generated from src/billing/prices.ts and the imports in src/.
import { resolve } from 'node:path';
import { priceTableMarkdown } from '../../src/billing/report';
import { shippedOperations } from '../helpers/contract';

process.stdout.write(`${priceTableMarkdown(shippedOperations(resolve(__dirname, '..', '..', '..'), ['src']))}\n`);
