module {
  util.global private @x = #flow.parameter.named<"x", {config}>
      : tensor<2x?xf32>
  util.global private @big = #stream.parameter.named<"s"::"big"> : tensor<1073741824x1073741824x8xi8>
}
