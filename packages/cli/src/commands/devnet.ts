/** `ddc devnet up` — the whole network on localhost, in the foreground (the @ddc/devnet launcher). */
import type { Command } from '../command.js'
import { mainOf, runForeground } from '../spawn.js'

export const devnetCommands: Command[] = [
  {
    path: ['devnet', 'up'],
    summary: 'run the devnet (dev chain, CLS, storage nodes, encryption service) until Ctrl-C',
    details:
      'Writes the service URLs to <dir>/devnet.json (default .ddc/devnet.json); every other ddc command run in\nthe same folder finds the network there. Options are passed to the launcher as they are.',
    optionHelp: [
      '--fresh          wipe the data folder first',
      '--dir <folder>   data folder (default .ddc)',
      '--port <n>       first port (default 8700)',
      '--nodes <n>      storage nodes (default 3)',
    ],
    examples: ['ddc devnet up --fresh', 'ddc devnet up --port 9700 --nodes 1'],
    passThrough: true,
    run: (_ctx, args) => runForeground(mainOf('@ddc/devnet'), args),
  },
]
