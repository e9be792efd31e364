! Print capital after 1000 steps of the Solow law of motion from k0 = 0.2.
program main
  use iso_c_binding, only: c_double, c_long
  use solow_lib, only: solow
  implicit none
  real(c_double) :: k
  k = solow(0.2_c_double, 0.3_c_double, 0.4_c_double, 0.1_c_double, 1.0_c_double, 1000_c_long)
  print '(a, f0.6)', 'k = ', k
end program main
