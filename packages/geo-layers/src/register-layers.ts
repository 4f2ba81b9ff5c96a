// Importing this module registers every geo layer class with tfjs' serialization map (each module
// calls serialization.registerClass at load), which loadLayersModel needs to rebuild saved models.
import './to-sphere';
import './to-poincare';
import './angular-linear';
import './hyp-linear';
import './hyp-mlr';
import './product-embedding';
