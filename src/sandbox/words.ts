// Invented vocabulary for the seed. Nothing here is copied from real Thingiverse data.

export const FIRST_NAMES = [
  'Ada', 'Bram', 'Cleo', 'Dara', 'Elio', 'Fenna', 'Gus', 'Hana', 'Ivo', 'Juno', 'Kai', 'Lotte', 'Milo', 'Nell',
  'Otto', 'Pia', 'Quinn', 'Rosa', 'Sami', 'Tove', 'Ugo', 'Vera', 'Wim', 'Xena', 'Yara', 'Zeno',
] as const;

export const LAST_NAMES = [
  'Quill', 'Marsh', 'Tanaka', 'Okafor', 'Lindqvist', 'Moreau', 'Castell', 'Novak', 'Brandt', 'Iqbal', 'Rossi',
  'Halloran', 'Vasquez', 'Dubois', 'Kowalski', 'Achterberg', 'Sato', 'Mbeki', 'Ferreira', 'Olsen',
] as const;

export const HANDLE_PARTS = [
  ['Quiet', 'Brass', 'Loop', 'Delta', 'Nimble', 'Copper', 'Tidy', 'Orbit', 'Maple', 'Pixel', 'Lumen', 'Rivet',
    'Fable', 'Cobalt', 'Juniper', 'Moss', 'Ember', 'Flux'],
  ['Forge', 'Works', 'Maker', 'Lab', 'Bench', 'Smith', 'Print', 'Craft', 'Shop', 'Garage', 'Studio', 'Nozzle'],
] as const;

export const PLACES = [
  'Ghent, Belgium', 'Porto, Portugal', 'Tampere, Finland', 'Osaka, Japan', 'Lagos, Nigeria', 'Quito, Ecuador',
  'Leeds, UK', 'Brno, Czechia', 'Halifax, Canada', 'Dunedin, New Zealand', '', 'Somewhere on a workbench ',
] as const;

export const ADJECTIVES = [
  'Stackable', 'Parametric', 'Articulated', 'Compact', 'Modular', 'Print-in-Place', 'Low-Poly', 'Minimal',
  'Folding', 'Magnetic', 'Snap-Fit', 'Wall-Mounted', 'Tiny', 'Giant', 'Hex', 'Rounded', 'Twisted', 'Customizable',
  'Universal', 'Spiral', 'Nesting', 'Hinged', 'Honeycomb', 'Vented', 'Weighted', 'Quick-Release',
] as const;

export const NOUNS = [
  'Filament Clip', 'Spool Holder', 'Cable Organizer', 'Headphone Stand', 'Phone Stand', 'Dice Tower', 'Planter',
  'Vase', 'Dragon', 'Octopus', 'Gridfinity Bin', 'Tool Holder', 'Wall Hook', 'Desk Tidy', 'Fan Duct', 'Enclosure',
  'Raspberry Pi Case', 'Keychain', 'Fidget Spinner', 'Gear Set', 'Lamp Shade', 'Lithophane Frame', 'Ornament',
  'Bike Mount', 'Camera Mount', 'Drone Frame', 'Card Box', 'Miniature Base', 'Helmet', 'Pen Cup', 'Bookend',
  'Soap Dish', 'Plant Label', 'Calibration Cube', 'Puzzle Box', 'Whistle', 'Coaster', 'Drawer Handle', 'Bracket',
  'Hinge', 'Shelf Peg', 'Spice Rack', 'Bird Feeder', 'Cookie Cutter', 'Model Rocket', 'Chess Set', 'Marble Run',
] as const;

export const SUFFIXES = [
  '', '', '', '', '', ' v2', ' v3', ' - Remix', ' (No Supports)', ' Mk II', ' for Ender 3', ' Kit', ' XL',
] as const;

/** Names that apps must escape; placed on well-liked things so they show on page 1 of /popular. */
export const TRICKY_NAMES = [
  'Clip <v2> & "Pro"',
  "Bob's Box <b>not bold</b>",
  'Spool & Guide <script>alert(1)</script>',
  'Trailing Space Vase ',
  'Café Ünïcödé Coaster ✓',
] as const;

export const TAGS = [
  'filament', 'spool', 'organizer', 'cable management', 'desk', 'tool holder', 'gridfinity', 'vase mode', 'planter',
  'articulated', 'dragon', 'miniatures', 'tabletop', 'dice tower', 'board game', 'cosplay', 'phone stand', 'hook',
  'wall mount', 'bracket', 'hinge', 'enclosure', 'Raspberry Pi', 'Arduino', 'fan duct', 'calibration',
  'test print', 'keychain', 'toy', 'puzzle', 'fidget', 'gear', 'clip', 'lamp', 'lithophane', 'ornament',
  'Christmas', 'Halloween', 'kitchen', 'garden', 'bike', 'camera', 'drone', 'education', 'math', 'parametric',
  'OpenSCAD', 'customizer', 'remix', 'print in place', 'low poly', 'magnet',
] as const;

export const LICENSES = [
  'Creative Commons - Attribution', 'Creative Commons - Attribution - Share Alike',
  'Creative Commons - Attribution - Non-Commercial', 'Creative Commons - Public Domain Dedication',
  'GNU - GPL', 'BSD License',
] as const;

export const BLURBS = [
  'Prints without supports at 0.2 mm layers.',
  'Designed for PLA; PETG works too with a little more clearance.',
  'Remixed to fit the smaller printers many of us have.',
  'Uses two M3 screws and nothing else.',
  'Tested on three different printers; tolerances are generous.',
  'Scale it up or down; the walls are thick enough either way.',
] as const;
