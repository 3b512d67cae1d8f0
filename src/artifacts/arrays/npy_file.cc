#include "artifacts/arrays/npy_file.h"

#include <fmt/format.h>

#include <cstring>
#include <limits>
#include <string_view>

#include "base/atomic_file.h"

namespace iree_suite {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
// numpy leaves room for a first axis of this many digits (np.lib.format).
constexpr size_t kGrowthAxisMaxDigits = 21;

void SkipSpaces(std::string_view text, size_t* pos) {
  while (*pos < text.size() && (text[*pos] == ' ' || text[*pos] == '\n')) ++*pos;
}

// The text after `'key':` up to the next top-level ',' or '}' (a tuple counts as one).
std::optional<std::string_view> DictValue(std::string_view header, std::string_view key) {
  const std::string quoted = fmt::format("'{}'", key);
  size_t pos = header.find(quoted);
  if (pos == std::string_view::npos) pos = header.find(fmt::format("\"{}\"", key));
  if (pos == std::string_view::npos) return std::nullopt;
  pos = header.find(':', pos + quoted.size());
  if (pos == std::string_view::npos) return std::nullopt;
  ++pos;
  SkipSpaces(header, &pos);
  size_t end = pos;
  int depth = 0;
  while (end < header.size()) {
    char c = header[end];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && (c == ',' || c == '}')) break;
    ++end;
  }
  std::string_view value = header.substr(pos, end - pos);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

std::optional<std::vector<int64_t>> ParseShape(std::string_view text) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return std::nullopt;
  std::vector<int64_t> shape;
  size_t pos = 1;
  while (true) {
    SkipSpaces(text, &pos);
    if (text[pos] == ')') break;
    int64_t dim = 0;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (dim > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
      dim = dim * 10 + (text[pos++] - '0');
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    shape.push_back(dim);
    SkipSpaces(text, &pos);
    if (text[pos] == ',') ++pos;
  }
  return shape;
}

// Fortran order to C order: the same elements, axes walked the other way.
std::string FortranToC(const NdArray& array) {
  const size_t size = DTypeSize(array.dtype);
  const size_t rank = array.shape.size();
  std::string out(array.data.size(), '\0');
  std::vector<int64_t> index(rank, 0);
  const int64_t count = array.ElementCount();
  for (int64_t c = 0; c < count; ++c) {
    int64_t f = 0;  // the element's position in Fortran order
    for (size_t axis = rank; axis-- > 0;) f = f * array.shape[axis] + index[axis];
    std::memcpy(out.data() + c * size, array.data.data() + f * size, size);
    for (size_t axis = rank; axis-- > 0;) {
      if (++index[axis] < array.shape[axis]) break;
      index[axis] = 0;
    }
  }
  return out;
}

}  // namespace

std::string NpyHeader(DType dtype, const std::vector<int64_t>& shape) {
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
                                 DTypeDescr(dtype), ShapeRepr(shape));
  if (!shape.empty()) {
    const size_t digits = std::to_string(shape[0]).size();
    if (digits < kGrowthAxisMaxDigits) dict.append(kGrowthAxisMaxDigits - digits, ' ');
  }
  // magic (6) + version (2) + length (2) + dict + '\n', a multiple of 64.
  const size_t unpadded = kMagic.size() + 4 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict.push_back('\n');
  std::string header(kMagic);
  header.push_back('\x01');
  header.push_back('\x00');
  header.push_back(static_cast<char>(dict.size() & 0xff));
  header.push_back(static_cast<char>(dict.size() >> 8));
  return header + dict;
}

Result<NdArray> ParseNpy(const std::string& bytes) {
  if (bytes.size() < 10 || std::string_view(bytes).substr(0, 6) != kMagic) {
    return Error{"not a .npy file (no \\x93NUMPY magic)"};
  }
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
  const int major = byte(6);
  size_t header_length = 0;
  size_t data_start = 0;
  if (major == 1) {
    header_length = byte(8) | (size_t{byte(9)} << 8);
    data_start = 10 + header_length;
  } else if ((major == 2 || major == 3) && bytes.size() >= 12) {
    header_length =
        byte(8) | (size_t{byte(9)} << 8) | (size_t{byte(10)} << 16) | (size_t{byte(11)} << 24);
    data_start = 12 + header_length;
  } else {
    return Error{fmt::format("unsupported .npy version {}.{}", major, byte(7))};
  }
  if (data_start > bytes.size()) {
    return Error{"the .npy header is longer than the file"};
  }
  const std::string_view header =
      std::string_view(bytes).substr(data_start - header_length, header_length);
  std::optional<std::string_view> descr = DictValue(header, "descr");
  std::optional<std::string_view> fortran = DictValue(header, "fortran_order");
  std::optional<std::string_view> shape_text = DictValue(header, "shape");
  if (!descr || !fortran || !shape_text) {
    return Error{fmt::format("the .npy header {} lacks descr, fortran_order or shape", header)};
  }
  NdArray array;
  std::string_view descr_text = *descr;
  if (descr_text.size() >= 2) descr_text = descr_text.substr(1, descr_text.size() - 2);
  std::optional<DType> dtype = DTypeFromDescr(descr_text);
  if (!dtype) {
    return Error{fmt::format("unsupported element type {} in the .npy header", *descr)};
  }
  array.dtype = *dtype;
  std::optional<std::vector<int64_t>> shape = ParseShape(*shape_text);
  if (!shape) {
    return Error{fmt::format("cannot read the shape {} of the .npy header", *shape_text)};
  }
  array.shape = std::move(*shape);
  const size_t available = bytes.size() - data_start;
  const size_t element_size = DTypeSize(array.dtype);
  uint64_t count = 1;
  for (int64_t dim : array.shape) {
    if (dim != 0 && count > available / static_cast<uint64_t>(dim)) {
      count = available + 1;  // more elements than bytes: reported below
      break;
    }
    count *= static_cast<uint64_t>(dim);
  }
  if (count > available / element_size || count * element_size != available) {
    return Error{fmt::format("the .npy data holds {} bytes, its header {} of {} says otherwise",
                             available, ShapeRepr(array.shape), DTypeName(array.dtype))};
  }
  array.data = bytes.substr(data_start);
  if (*fortran == "True" && array.shape.size() > 1) array.data = FortranToC(array);
  return array;
}

Result<NdArray> ReadNpy(const std::filesystem::path& path) {
  Result<std::string> bytes = ReadSmallFile(path);
  if (!bytes) return Error{bytes.error()};
  Result<NdArray> array = ParseNpy(*bytes);
  if (!array) return Error{fmt::format("{}: {}", path.string(), array.error())};
  return array;
}

Status WriteNpy(const std::filesystem::path& path, const NdArray& array) {
  return WriteFileAtomically(path, NpyHeader(array.dtype, array.shape) + array.data);
}

}  // namespace iree_suite
