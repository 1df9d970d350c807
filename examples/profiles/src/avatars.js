// Avatar images live on the image CDN; a profile keeps the source and the thumbnail URLs the CDN
// serves for it.

const THUMBNAIL_SIZES = [32, 64, 128];

export function thumbnailUrl(source, size) {
  const url = new URL(source);
  url.searchParams.set('s', String(size));
  return url.href;
}

export function avatarFor({ url, width, height }) {
  const source = new URL(url).href;
  const sizes = THUMBNAIL_SIZES.filter((size) => size <= width);
  return {
    url: source,
    width,
    height,
    thumbnails: sizes.map((size) => ({ size, url: thumbnailUrl(source, size) })),
  };
}
