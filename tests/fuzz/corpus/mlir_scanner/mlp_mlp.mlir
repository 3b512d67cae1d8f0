// A two-layer perceptron: y = relu(x @ w1 + b1) @ w2 + b2.
//
// The weights are not baked into the module: like a real exported model
// they are named parameters in the "model" scope, loaded at run time from
// mlp/data/mlp_weights.irpa (--parameters=model=...). generate_data.py
// writes that archive and computes the expected output with numpy.
module @mlp {
  util.global private @w1 = #stream.parameter.named<"model"::"w1"> : tensor<16x32xf32>
  util.global private @b1 = #stream.parameter.named<"model"::"b1"> : tensor<32xf32>
  util.global private @w2 = #stream.parameter.named<"model"::"w2"> : tensor<32x8xf32>
  util.global private @b2 = #stream.parameter.named<"model"::"b2"> : tensor<8xf32>

  func.func @forward(%x: tensor<4x16xf32>) -> tensor<4x8xf32> {
    %w1 = util.global.load @w1 : tensor<16x32xf32>
    %b1 = util.global.load @b1 : tensor<32xf32>
    %w2 = util.global.load @w2 : tensor<32x8xf32>
    %b2 = util.global.load @b2 : tensor<8xf32>
    %zero = arith.constant 0.0 : f32

    // Layer 1: x @ w1, then + b1 and relu in one elementwise op.
    %e1 = tensor.empty() : tensor<4x32xf32>
    %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x32xf32>) -> tensor<4x32xf32>
    %m1 = linalg.matmul ins(%x, %w1 : tensor<4x16xf32>, tensor<16x32xf32>)
                        outs(%z1 : tensor<4x32xf32>) -> tensor<4x32xf32>
    %h = linalg.generic {
        indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                         affine_map<(i, j) -> (i, j)>],
        iterator_types = ["parallel", "parallel"]}
        ins(%m1, %b1 : tensor<4x32xf32>, tensor<32xf32>) outs(%e1 : tensor<4x32xf32>) {
      ^bb0(%a: f32, %b: f32, %out: f32):
        %s = arith.addf %a, %b : f32
        %r = arith.maximumf %s, %zero : f32
        linalg.yield %r : f32
    } -> tensor<4x32xf32>

    // Layer 2: h @ w2 + b2.
    %e2 = tensor.empty() : tensor<4x8xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x8xf32>) -> tensor<4x8xf32>
    %m2 = linalg.matmul ins(%h, %w2 : tensor<4x32xf32>, tensor<32x8xf32>)
                        outs(%z2 : tensor<4x8xf32>) -> tensor<4x8xf32>
    %y = linalg.generic {
        indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                         affine_map<(i, j) -> (i, j)>],
        iterator_types = ["parallel", "parallel"]}
        ins(%m2, %b2 : tensor<4x8xf32>, tensor<8xf32>) outs(%e2 : tensor<4x8xf32>) {
      ^bb0(%a: f32, %b: f32, %out: f32):
        %s = arith.addf %a, %b : f32
        linalg.yield %s : f32
    } -> tensor<4x8xf32>
    return %y : tensor<4x8xf32>
  }
}
