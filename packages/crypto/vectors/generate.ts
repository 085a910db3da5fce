/** Regenerates v1.json: npx tsx packages/crypto/vectors/generate.ts */
import { writeFileSync } from 'node:fs'
import { buildVectors } from './compute.js'

const file = new URL('./v1.json', import.meta.url)
writeFileSync(file, `${JSON.stringify(await buildVectors(), null, 2)}\n`)
console.log(`wrote ${file.pathname}`)
