/** The machine a run was taken on: every table states it (issue #9: numbers mean nothing without it). */
import { cpus, loadavg, release, totalmem } from 'node:os'

export interface Machine {
  cpu: string
  cores: number
  ramGiB: number
  node: string
  os: string
  date: string
  /** 1-minute load average when the run started: a shared machine makes numbers noisy. */
  loadAtStart: number
}

export function describeMachine(): Machine {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim() ?? 'unknown CPU',
    cores: list.length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    date: new Date().toISOString(),
    loadAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  }
}

export const machineLine = (m: Machine): string =>
  `${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, Node ${m.node}, ${m.os}, ${m.date.slice(0, 16).replace('T', ' ')} UTC, load ${m.loadAtStart} at start`
