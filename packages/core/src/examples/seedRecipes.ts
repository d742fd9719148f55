import type { Recipe } from './recipe.js';
import { saasEdge } from './seed001SaasEdge.js';
import { alohaRecipes } from './seed002AlohaRecipes.js';
import { runtimeSlots } from './seed003RuntimeSlots.js';
import { dnsDiscovery } from './seed003DnsDiscovery.js';
import { zeroDowntime } from './seed004ZeroDowntime.js';

export type { Recipe } from './recipe.js';

/** The four recipes of the field notes in ../shared/seeds, in seed order. */
export const RECIPES: readonly Recipe[] = [
  saasEdge,
  alohaRecipes,
  runtimeSlots,
  dnsDiscovery,
  zeroDowntime,
];
