// Profiles present when the service starts.

export const SEED_PROFILES = [
  {
    id: 1,
    username: 'ada',
    displayName: 'Ada Lovelace',
    bio: 'Notes on the Analytical Engine, with an algorithm for Bernoulli numbers.',
    links: [{ url: 'https://example.org/notes-on-the-engine', host: 'example.org' }],
    avatar: null,
    version: 1,
  },
  {
    id: 2,
    username: 'grace',
    displayName: 'Grace Hopper',
    bio: 'Compilers, COBOL, and the occasional moth.',
    links: [
      { url: 'https://example.com/a-0', host: 'example.com' },
      { url: 'https://navy.example.mil/history', host: 'navy.example.mil' },
    ],
    avatar: {
      url: 'https://cdn.example.net/avatars/grace.png',
      width: 128,
      height: 128,
      thumbnails: [
        { size: 32, url: 'https://cdn.example.net/avatars/grace.png?s=32' },
        { size: 64, url: 'https://cdn.example.net/avatars/grace.png?s=64' },
        { size: 128, url: 'https://cdn.example.net/avatars/grace.png?s=128' },
      ],
    },
    version: 3,
  },
  {
    id: 3,
    username: 'alan',
    displayName: 'Alan Turing',
    bio: '',
    links: [],
    avatar: null,
    version: 1,
  },
];
