import type { ImageKind } from './images.js'

// NCP's image record, read field by field into an ImageRecord, every text capped.

const MAX_FIELD = 300

/** An image as the action sees it, with NCP's record kept whole for the `image` output. */
export interface ImageRecord {
  no: string
  name: string
  /** NCP's status code: INIT, CREAT, CREFL, or a code this action does not know ('' when absent). */
  status: string
  statusName?: string
  /** The server it was made from, when NCP says. */
  sourceServerNo?: string
  description?: string
  /** When NCP made it (ms since the epoch), when the record says. */
  createdAt?: number
  /** The NCP login IDs it is shared with. */
  sharedWith: string[]
  /** Server images (KVM): the block storage snapshots behind it, which outlive its delete. */
  snapshots?: string[]
  raw: Record<string, unknown>
}

export function toImageRecord(kind: ImageKind, raw: Record<string, unknown>): ImageRecord {
  const { fields } = kind
  const status = raw[fields.status] as { code?: unknown } | undefined
  return {
    no: text(raw[fields.number]),
    name: text(raw[fields.name]),
    status: typeof status?.code === 'string' ? status.code.slice(0, MAX_FIELD) : '',
    statusName:
      typeof raw[fields.statusName] === 'string' ? text(raw[fields.statusName]) : undefined,
    sourceServerNo:
      fields.sourceServer && raw[fields.sourceServer] !== undefined
        ? text(raw[fields.sourceServer])
        : undefined,
    description:
      typeof raw[fields.description] === 'string'
        ? (raw[fields.description] as string).slice(0, 1000)
        : undefined,
    createdAt: dateOf(raw[fields.createDate]),
    sharedWith: Array.isArray(raw[fields.sharedLoginIds])
      ? (raw[fields.sharedLoginIds] as unknown[]).map(text).filter(Boolean).slice(0, 100)
      : [],
    ...(kind.actions.deleteSnapshots ? { snapshots: snapshotsOf(raw) } : {}),
    raw
  }
}

/** blockStorageMappingList[].blockStorageSnapshotInstanceNo: a JSON number in NCP's answers, or a string. */
function snapshotsOf(raw: Record<string, unknown>): string[] {
  const list = raw.blockStorageMappingList
  if (!Array.isArray(list)) return []
  const nos = list
    .map(entry =>
      typeof entry === 'object' && entry !== null
        ? text((entry as Record<string, unknown>).blockStorageSnapshotInstanceNo)
        : ''
    )
    .filter(no => /^\d{1,20}$/.test(no))
  return [...new Set(nos)].slice(0, 100)
}

function dateOf(value: unknown): number | undefined {
  const at = typeof value === 'string' ? Date.parse(value) : NaN
  return Number.isNaN(at) ? undefined : at
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value).slice(0, MAX_FIELD)
    : ''
}
