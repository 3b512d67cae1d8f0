// Module A of the two-module quality test: a library module that only
// exports a function. Its `module @activations` symbol is the name under
// which other modules import it (`@activations.softsign`).
module @activations {
  // softsign(x) = x / (1 + |x|), elementwise.
  func.func @softsign(%x: tensor<8xf32>) -> tensor<8xf32> {
    %one = arith.constant dense<1.0> : tensor<8xf32>
    %abs = math.absf %x : tensor<8xf32>
    %den = arith.addf %abs, %one : tensor<8xf32>
    %y = arith.divf %x, %den : tensor<8xf32>
    return %y : tensor<8xf32>
  }
}
