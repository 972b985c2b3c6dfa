// Below this argument the power series is used, above it the asymptotic
// expansion. At z = 30 the series needs about 60 terms (all positive, so no
// cancellation) and the asymptotic series' terms fall to below 1e-17 of its sum
// long before they start to grow again (near k ≈ 2z), so both are accurate to a
// few ulp on their side of the switch.
const SWITCH = 30;

/**
 * log(e^{−z} I0(z)) for z ≥ 0, the logarithm of the exponentially scaled
 * modified Bessel function of the first kind of order 0, so that
 * log I0(z) = z + logBesselI0Scaled(z) without overflow for any z.
 *
 * z ≤ 30: the power series I0(z) = Σₖ (z²/4)ᵏ / (k!)² (Abramowitz & Stegun
 * 9.6.12). z > 30: the asymptotic expansion
 * e^{−z} I0(z) ~ (2πz)^{−½} Σₖ [(2k − 1)!!]² / (k! (8z)ᵏ) (A&S 9.7.1), whose
 * terms are all positive for order 0; it is summed until a term no longer
 * changes the sum in double precision.
 */
export function logBesselI0Scaled(z: number): number {
  if (z <= SWITCH) {
    const q = (z * z) / 4;
    let term = 1;
    let sum = 1;
    for (let k = 1; term > 1e-17 * sum; k++) {
      term *= q / (k * k);
      sum += term;
    }
    return Math.log(sum) - z;
  }
  const eightZ = 8 * z;
  let term = 1;
  let sum = 1;
  for (let k = 1; term > 1e-17 * sum; k++) {
    term *= ((2 * k - 1) * (2 * k - 1)) / (k * eightZ);
    sum += term;
  }
  return Math.log(sum) - 0.5 * Math.log(2 * Math.PI * z);
}
