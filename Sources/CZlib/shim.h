// zlib's deflate and CRC-32, for PNG images (heatmaps and tiles).
#include <zlib.h>
