import { DeliveryStream, INGESTION_MIX } from "../dist/bench/lib/deliveries.js";
const s = new DeliveryStream({ secret: "x", installationId: 1, org: "o", repos: ["o/a","o/b"], mix: INGESTION_MIX, seed: 1 });
const sizes = Array.from({ length: 2000 }, () => s.next().body.length).sort((a, b) => a - b);
console.log("p50", sizes[1000], "p90", sizes[1800], "max", sizes[1999], "mean", Math.round(sizes.reduce((a, b) => a + b) / sizes.length));
