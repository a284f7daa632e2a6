import { checkedNumber, checkedText, isRecord } from '../model/journal-state.js'
import { JournalProblem, type SavedJournal } from '../model/journal-state.js'
import type { JournalCreate } from '../model/journal.js'
import { NEXT } from '../model/next-steps.js'
import { madeFrom } from '../model/source-server.js'
import { IMAGE_KINDS, ImageApi, type ImageKind } from '../ncloud/images.js'
import type { Finished, FinishContext, OpenWork } from './finishers.js'
import { newest } from './name-lookup.js'

// The post step's finisher for a create whose answer never came (the main step was killed, or
// gave up, while it was outstanding): the journal has the name but no number. It looks the name up
// as the main step does after a lost reply, and names what it finds; it never creates anything.

/** The create in flight the journal names when it holds no image; undefined when there is none. */
export function findUnansweredCreate(journal: SavedJournal): OpenWork | undefined {
  const entry: unknown = journal.creating
  if (entry === undefined || journal.image !== undefined) return undefined
  const { create, kind } = checkedCreate(entry)
  return {
    what: `the create of an image named "${create.name}"`,
    finish: context => lookUp(create, kind, context)
  }
}

function checkedCreate(entry: unknown): { create: JournalCreate; kind: ImageKind } {
  if (!isRecord(entry)) throw new JournalProblem('"creating" is not an object')
  const name = checkedText(entry.name, "the created image's name")
  if (name === '') throw new JournalProblem('"creating" has no name')
  const kind = IMAGE_KINDS.find(k => k.actions.create === entry.kind)
  if (!kind) throw new JournalProblem('"creating" names no create action of this action')
  const serverNo = checkedNumber(entry.serverNo, "the created image's server")
  if (typeof entry.sentAt !== 'number' || !Number.isFinite(entry.sentAt)) {
    throw new JournalProblem('"creating" has no "sentAt" moment')
  }
  return { create: { name, kind: kind.actions.create, serverNo, sentAt: entry.sentAt }, kind }
}

async function lookUp(
  create: JournalCreate,
  kind: ImageKind,
  context: FinishContext
): Promise<Finished> {
  const { client, log } = context
  const sent = `A ${create.kind} for an image named "${create.name}" (server ${create.serverNo}, sent ${new Date(create.sentAt).toISOString()}) was never answered with its number`
  log.info(`${sent}: the post step looks the name up in region ${client.region}.`)
  const found = await new ImageApi(client, kind).findAllByName(create.name, context.deadline)
  const ours = found.filter(
    image => madeFrom(image, { serverInstanceNo: create.serverNo }) !== 'no'
  )
  if (ours.length === 0) {
    const line = `${sent}, and no image of that name made from server ${create.serverNo} exists in region ${client.region}. ${NEXT.createMayAppear}`
    log.warning(line)
    return { ok: true, line, icon: '⚠️' }
  }
  const image = newest(ours)
  const others = ours.filter(other => other !== image).map(other => other.no)
  const source =
    madeFrom(image, { serverInstanceNo: create.serverNo }) === 'yes'
      ? `made from server ${create.serverNo}`
      : `(NCP's record does not say which server it was made from: check that it is server ${create.serverNo})`
  const line =
    `${sent}: image ${image.no} (${image.status}) of that name exists, ${source}.` +
    `${alsoExist(others)} ${NEXT.pickUpImage(image.no)}`
  log.info(line)
  return { ok: true, line, icon: image.status === 'CREAT' ? 'ℹ️' : '⏳' }
}

function alsoExist(others: readonly string[]): string {
  if (others.length === 0) return ''
  const [which, verb] = others.length === 1 ? ['Image', 'exists'] : ['Images', 'exist']
  return ` ${which} ${others.join(', ')} of that name ${verb} too.`
}
