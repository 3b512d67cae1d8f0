// 0 / 0 is NaN wherever the formula gives zeros.
func.func @divide(%a: tensor<6xf32>, %b: tensor<6xf32>) -> tensor<6xf32> {
  %quotient = arith.divf %a, %b : tensor<6xf32>
  return %quotient : tensor<6xf32>
}
