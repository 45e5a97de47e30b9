// zlib's deflate and CRC-32, for PNG images (heatmaps and tiles) and gzip (vector tiles).
#include <zlib.h>

// deflateInit2 is a macro Swift cannot import: a gzip stream (window bits 15 + 16) at `level`.
static inline int gridwall_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
