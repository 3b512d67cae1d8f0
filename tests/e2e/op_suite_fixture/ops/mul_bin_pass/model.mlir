func.func @mul(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = arith.mulf %a, %b : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
