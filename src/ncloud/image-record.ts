import type { ImageKind, ImageRecord } from './images.js'

// NCP's image record, read field by field into an ImageRecord, every text capped.

const MAX_FIELD = 300

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
    raw
  }
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
