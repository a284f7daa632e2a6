import type { NcloudClient } from './client.js'
import { AUTOSCALING_API_PATH } from './endpoints.js'
import { describeError, NcloudError } from './errors.js'

// What uses an image: Auto Scaling launch configurations, and servers made from it. An image one
// of them names must not be deleted (ncloud-api-next §2, §3).

/** A read that either came back whole or says why not. */
export type Read<T> = { ok: true; value: T } | { ok: false; problem: string }

/** Image number → why it is in use ("used by launch configuration web-lc (123)", ...). */
export type ImagesInUse = ReadonlyMap<string, readonly string[]>

/** The fields by which a launch configuration or a server names its image. */
const IMAGE_FIELDS = ['memberServerImageInstanceNo', 'serverImageNo'] as const

/**
 * Reads every launch configuration and every server that is not terminated in the region, all
 * pages, and names the images they use. Either read failing makes the whole answer a failure:
 * pruning never guesses.
 */
export async function readImagesInUse(client: NcloudClient): Promise<Read<ImagesInUse>> {
  const inUse = new Map<string, string[]>()
  const add = (no: string, why: string): void => {
    inUse.set(no, [...(inUse.get(no) ?? []), why])
  }
  let configs: unknown[]
  try {
    configs = await client
      .forApi(AUTOSCALING_API_PATH)
      .readAllPages(
        'getLaunchConfigurationList',
        {},
        'launchConfigurationList',
        'launchConfigurationNo'
      )
  } catch (error) {
    return failed(
      'The Auto Scaling launch configurations',
      'vautoscaling/v2',
      'getLaunchConfigurationList',
      error
    )
  }
  for (const config of records(configs)) {
    const name = text(config.launchConfigurationName)
    const no = text(config.launchConfigurationNo)
    for (const image of imagesNamedBy(config)) {
      add(image, `used by launch configuration ${name ? `${name} (${no})` : no}`)
    }
  }
  let servers: unknown[]
  try {
    servers = await client.readAllPages(
      'getServerInstanceList',
      {},
      'serverInstanceList',
      'serverInstanceNo'
    )
  } catch (error) {
    return failed('The servers', 'vserver/v2', 'getServerInstanceList', error)
  }
  for (const server of records(servers)) {
    if ((server.serverInstanceStatus as { code?: unknown } | undefined)?.code === 'TERMT') continue
    for (const image of imagesNamedBy(server)) {
      add(image, `server ${text(server.serverInstanceNo)} was created from it`)
    }
  }
  return { ok: true, value: inUse }
}

function failed(what: string, api: string, action: string, error: unknown): Read<never> {
  const refused = error instanceof NcloudError && error.fields.code === '210'
  return {
    ok: false,
    problem:
      `${what} could not be read: ${describeError(error)} Without them no image is known to be unused. ` +
      `Pruning needs a key that may call ${api} ${action}${refused ? ' (the sub account policy does not allow it)' : ''}.`
  }
}

function imagesNamedBy(row: Record<string, unknown>): string[] {
  const nos = IMAGE_FIELDS.map(field => text(row[field])).filter(Boolean)
  return [...new Set(nos)]
}

function records(rows: readonly unknown[]): Record<string, unknown>[] {
  return rows.filter(
    (row): row is Record<string, unknown> => typeof row === 'object' && row !== null
  )
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 300) : ''
}
