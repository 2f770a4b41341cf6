"""Where each labelled equation of the book sits: {chapter: {label: section title}}.

Written by ``python -m tools.equation_sections`` from the chapters; do not edit by hand.
"""

SECTIONS = {
    '01': {
        'eq-neuron-intro': 'A neuron',
        'eq-layer-intro': 'Layers and networks',
        'eq-rnn-intro': 'Recurrent networks',
    },
    '02': {
        'eq-mean-cost': 'Supervised learning',
        'eq-one-weight': 'Gradient descent on one parameter',
        'eq-finite-difference': 'Why backpropagation',
    },
    '03': {
        'eq-loop-forward': 'The same four steps in numpy',
        'eq-loop-backward': 'The same four steps in numpy',
        'eq-variance': 'The scale of the random weights',
    },
    '04': {
        'eq-neuron': 'One neuron at a time',
        'eq-layer': 'One example as a matrix product',
        'eq-batch': 'A batch: one example per row',
        'eq-softmax': 'The output layer',
    },
    '05': {
        'eq-one-neuron': 'One neuron',
        'eq-two-neurons': 'Two neurons in series: the error flows backwards',
        'eq-layer-grad': 'A layer of neurons',
        'eq-hidden': 'Through a hidden layer',
        'eq-batch-backprop': 'The four equations of backpropagation',
        'eq-activation-derivatives': 'The local derivatives',
    },
    '06': {
        'eq-matrix-gate': 'The matrix gate of a layer',
    },
    '07': {
        'eq-update': 'The update rule',
        'eq-quadratic-steps': 'The learning rate on a quadratic',
        'eq-threshold': 'The learning rate on a quadratic',
        'eq-eigen-step': 'Many weights: one eigendirection at a time',
        'eq-threshold-many': 'Many weights: one eigendirection at a time',
        'eq-best-rate': 'Many weights: one eigendirection at a time',
        'eq-standardised-hessian': 'Standardising the inputs',
        'eq-heavy-ball': 'Momentum',
        'eq-momentum-matrix': 'Momentum',
        'eq-momentum-roots': 'Momentum',
        'eq-momentum-optimal': 'Momentum',
    },
    '09': {
        'eq-rnn-cell': 'The recurrent cell',
        'eq-bptt-dh': 'Backpropagation through time',
        'eq-bptt-dz': 'Backpropagation through time',
        'eq-bptt-grads': 'Backpropagation through time',
        'eq-bptt-dx': 'Backpropagation through time',
        'eq-output-every-step': 'A loss at every time step',
        'eq-bptt-dh-every': 'A loss at every time step',
        'eq-output-grads': 'A loss at every time step',
        'eq-jacobian-product': 'Vanishing and exploding gradients',
        'eq-clip': 'Gradient clipping',
        'eq-lstm': "Toward gated units: the LSTM's cell state",
        'eq-lstm-cell-jacobian': "Toward gated units: the LSTM's cell state",
    },
    '10': {
        'eq-conv-forward': 'The operation',
        'eq-conv-size': 'The operation',
        'eq-xcorr': 'Cross-correlation, not convolution',
        'eq-conv-db': 'The bias',
        'eq-conv-dw': 'The weights',
        'eq-conv-dx-sum': 'The input',
        'eq-conv-dx': 'The input',
        'eq-conv-channels': 'Channels',
        'eq-conv-stride': 'Stride and padding',
        'eq-conv-im2col': 'How bp computes it',
        'eq-conv-matrix': 'The convolution as a sparse matrix',
        'eq-conv-matrix-backward': 'The convolution as a sparse matrix',
        'eq-pool-forward': 'Max pooling and flattening',
        'eq-pool-grad': 'Max pooling and flattening',
        'eq-receptive-field': 'Stacked layers and receptive fields',
    },
    '11': {
        'eq-adam': 'Beyond plain gradient descent',
        'eq-batchnorm-backward': 'What comes next',
    },
}
