// Two checks that keep the repository publishable, run by `npm run check:metadata` (part of
// `npm run all`, so of .ci/run and CI):
// - action.yml fits a GitHub Marketplace listing: a name, a description of at most 125 characters
//   (the listing cuts longer ones), and branding with an icon and a colour GitHub accepts;
// - every `uses:` in .github/workflows/ and examples/ is pinned by a release tag, the way
//   actions/typescript-action pins: `owner/repo@vN` (a major tag) or `@vX.Y.Z`, or a full commit
//   SHA followed by a `# vX.Y.Z` comment. A branch (`@main`) or no version at all is refused.
//   Local actions (`./`) are what they are.
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const MAX_DESCRIPTION = 125
export const MAX_NAME = 60
// branding.color and branding.icon as GitHub's metadata syntax lists them (icons are Feather's,
// without the brand logos).
export const COLORS = [
  'white',
  'black',
  'yellow',
  'blue',
  'green',
  'orange',
  'red',
  'purple',
  'gray-dark'
]
export const ICONS =
  `activity airplay alert-circle alert-octagon alert-triangle align-center align-justify
align-left align-right anchor aperture archive arrow-down-circle arrow-down-left arrow-down-right
arrow-down arrow-left-circle arrow-left arrow-right-circle arrow-right arrow-up-circle arrow-up-left
arrow-up-right arrow-up at-sign award bar-chart-2 bar-chart battery-charging battery bell-off bell
bluetooth bold book-open book bookmark box briefcase calendar camera-off camera cast check-circle
check-square check chevron-down chevron-left chevron-right chevron-up chevrons-down chevrons-left
chevrons-right chevrons-up circle clipboard clock cloud-drizzle cloud-lightning cloud-off cloud-rain
cloud-snow cloud code command compass copy corner-down-left corner-down-right corner-left-down
corner-left-up corner-right-down corner-right-up corner-up-left corner-up-right cpu credit-card crop
crosshair database delete disc dollar-sign download-cloud download droplet edit-2 edit-3 edit
external-link eye-off eye fast-forward feather file-minus file-plus file-text file film filter flag
folder-minus folder-plus folder gift git-branch git-commit git-merge git-pull-request globe grid
hard-drive hash headphones heart help-circle hexagon home image inbox info italic layers layout
life-buoy link-2 link list loader lock log-in log-out mail map-pin map maximize-2 maximize menu
message-circle message-square mic-off mic minimize-2 minimize minus-circle minus-square minus monitor
moon more-horizontal more-vertical move music navigation-2 navigation octagon package paperclip
pause-circle pause percent phone-call phone-forwarded phone-incoming phone-missed phone-off
phone-outgoing phone pie-chart play-circle play plus-circle plus-square plus pocket power printer
radio refresh-ccw refresh-cw repeat rewind rotate-ccw rotate-cw rss save scissors search send server
settings share-2 share shield-off shield shopping-bag shopping-cart shuffle sidebar skip-back
skip-forward slash sliders smartphone speaker square star stop-circle sun sunrise sunset tablet tag
target terminal thermometer thumbs-down thumbs-up toggle-left toggle-right trash-2 trash
trending-down trending-up triangle truck tv type umbrella underline unlock upload-cloud upload
user-check user-minus user-plus user-x user users video-off video voicemail volume-1 volume-2
volume-x volume watch wifi-off wifi wind x-circle x-square x zap-off zap zoom-in zoom-out`.split(
    /\s+/
  )

/** What keeps action (action.yml, parsed) from a Marketplace listing: an empty list when nothing. */
export function marketplaceProblems(action) {
  const problems = []
  const name = typeof action?.name === 'string' ? action.name.trim() : ''
  if (!name) problems.push('action.yml has no name: the Marketplace lists the action by it')
  else if (name.length > MAX_NAME)
    problems.push(`action.yml's name is ${name.length} characters; keep it to ${MAX_NAME}`)
  const description = typeof action?.description === 'string' ? action.description.trim() : ''
  if (!description) problems.push('action.yml has no description')
  else if (description.length > MAX_DESCRIPTION) {
    problems.push(
      `action.yml's description is ${description.length} characters; the Marketplace shows ${MAX_DESCRIPTION}: shorten it (details belong in the README)`
    )
  }
  const { icon, color } = action?.branding ?? {}
  if (!ICONS.includes(icon)) {
    problems.push(
      `action.yml's branding.icon is ${JSON.stringify(icon)}: use a Feather icon GitHub accepts, e.g. hard-drive`
    )
  }
  if (!COLORS.includes(color)) {
    problems.push(
      `action.yml's branding.color is ${JSON.stringify(color)}: use one of ${COLORS.join(', ')}`
    )
  }
  return problems
}

const TAG = /^v\d+(\.\d+\.\d+)?$/
const SHA = /^[0-9a-f]{40}$/

/** Every `uses:` in a workflow's text that is not pinned by a release tag, as "file:line: why". */
export function pinProblems(text, file) {
  const problems = []
  text.split(/\r?\n/).forEach((line, i) => {
    const match = /^\s*(?:-\s+)?uses:\s*['"]?([^'"\s#]+)['"]?\s*(#.*)?$/.exec(line)
    if (!match) return
    const [, ref, comment = ''] = match
    if (ref.startsWith('./')) return
    const where = `${file}:${i + 1}`
    if (ref.startsWith('docker://')) {
      problems.push(`${where}: ${ref} is a container image; pin an action by a release tag instead`)
      return
    }
    const at = ref.lastIndexOf('@')
    const version = at < 0 ? '' : ref.slice(at + 1)
    if (TAG.test(version)) return
    if (SHA.test(version) && /#\s*v\d+\.\d+\.\d+\b/.test(comment)) return
    problems.push(
      `${where}: ${ref} is not pinned by a release tag: use ${at < 0 ? ref : ref.slice(0, at)}@vN (or @vX.Y.Z, or a full SHA with a "# vX.Y.Z" comment)`
    )
  })
  return problems
}

function yamlFiles(root, dir) {
  return readdirSync(join(root, dir))
    .filter(name => /\.ya?ml$/.test(name))
    .map(name => `${dir}/${name}`)
}

/** Every problem of the repository at root. */
export function metadataProblems(root) {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'))
  const files = [...yamlFiles(root, '.github/workflows'), ...yamlFiles(root, 'examples')]
  return [
    ...marketplaceProblems(action),
    ...files.flatMap(file => pinProblems(readFileSync(join(root, file), 'utf8'), file))
  ]
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const problems = metadataProblems(root)
  if (problems.length > 0) {
    console.error(problems.join('\n'))
    process.exit(1)
  }
  console.log('action.yml fits a Marketplace listing; every uses: is pinned by a release tag.')
}
