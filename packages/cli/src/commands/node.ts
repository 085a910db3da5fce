/** `ddc node start`, `ddc cls start`, `ddc chain start` — one service in the foreground (its src/main.ts). */
import type { Command } from '../command.js'
import { mainOf, runForeground } from '../spawn.js'

const service = (group: string, pkg: string, what: string, env: string, example: string): Command => ({
  path: [group, 'start'],
  args: '[config.json] [service flags]',
  summary: `run ${what} in the foreground (${pkg})`,
  details: `Configuration comes from the service's environment variables (${env}) or a JSON config file; see the\nservice's README. Arguments after the command are passed to it as they are.`,
  examples: [example],
  passThrough: true,
  run: (_ctx, args) => runForeground(mainOf(pkg), args),
})

export const serviceCommands: Command[] = [
  service(
    'node',
    '@ddc/storage-node',
    'a storage node',
    'DDC_NODE_CONFIG, DDC_NODE_*',
    'DDC_NODE_CONFIG=node.json ddc node start',
  ),
  service(
    'cls',
    '@ddc/cls',
    'the Content Lookup Service',
    'DDC_CLS_CONFIG, DDC_CLS_*',
    'DDC_CLS_CONFIG=cls.json ddc cls start',
  ),
  service('chain', '@ddc/chain-node', 'the dev chain node', 'DDC_CHAIN_*', 'ddc chain start'),
]
