func.func @main(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<4x3xf32>) -> tensor<4x3xf32>
  %product = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>)
                           outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %product : tensor<4x3xf32>
}
