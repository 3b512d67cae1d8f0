func.func @main(%a: tensor<4x8xf16>, %b: tensor<8x3xf16>) -> tensor<4x3xf16> {
  %zero = arith.constant 0.0 : f16
  %empty = tensor.empty() : tensor<4x3xf16>
  %init = linalg.fill ins(%zero : f16) outs(%empty : tensor<4x3xf16>) -> tensor<4x3xf16>
  %product = linalg.matmul ins(%a, %b : tensor<4x8xf16>, tensor<8x3xf16>)
                           outs(%init : tensor<4x3xf16>) -> tensor<4x3xf16>
  return %product : tensor<4x3xf16>
}
